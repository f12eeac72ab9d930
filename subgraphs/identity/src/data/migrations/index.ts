import { IdentityTables } from './0001-identity.js';
import { AnnounceExistingApiClients } from './0002-announce-api-clients.js';

/** Applied in this order; never edit an applied one, add the next. */
export const identityMigrations = [
  { name: '0001_identity', class: IdentityTables },
  { name: '0002_announce_api_clients', class: AnnounceExistingApiClients },
];
