import { DecisionsTables } from './0001-decisions.js';
import { DecisionWorkflowTables } from './0002-decision-workflow.js';
import { PartnerClientsTable } from './0003-partner-clients.js';

/** Applied in this order; never edit an applied one, add the next. */
export const decisionsMigrations = [
  { name: '0001_decisions', class: DecisionsTables },
  { name: '0002_decision_workflow', class: DecisionWorkflowTables },
  { name: '0003_partner_clients', class: PartnerClientsTable },
];
