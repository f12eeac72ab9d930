import { QueueTables } from './0001-queue.js';
import { CaseWorkflowTables } from './0002-case-workflow.js';

/** In the order they apply; never edit an applied one. */
export const queueMigrations = [
  { name: '0001_queue', class: QueueTables },
  { name: '0002_case_workflow', class: CaseWorkflowTables },
];
