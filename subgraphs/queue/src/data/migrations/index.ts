import { QueueTables } from './0001-queue.js';
import { CaseWorkflowTables } from './0002-case-workflow.js';
import { RoutingThresholdColumns } from './0003-routing-thresholds.js';
import { ListingIndexes } from './0004-listing-indexes.js';
import { PriorityRiseColumn } from './0005-priority-rise.js';

/** In the order they apply; never edit an applied one. */
export const queueMigrations = [
  { name: '0001_queue', class: QueueTables },
  { name: '0002_case_workflow', class: CaseWorkflowTables },
  { name: '0003_routing_thresholds', class: RoutingThresholdColumns },
  { name: '0004_listing_indexes', class: ListingIndexes },
  { name: '0005_priority_rise', class: PriorityRiseColumn },
];
