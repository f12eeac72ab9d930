import { Field, ID, InputType, Int } from 'type-graphql';
import { PriorityBand, QueueEntryStatus, SlaState } from './queue-entry.types.js';

@InputType({ description: 'Which cases to list; without status, the open ones (not COMPLETED)' })
export class QueueFilter {
  @Field(() => [QueueEntryStatus], { nullable: true })
  status?: QueueEntryStatus[] | null;
  @Field(() => ID, { nullable: true })
  assigneeId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Only the cases assigned to you' })
  mine?: boolean | null;
  @Field(() => [SlaState], { nullable: true })
  slaState?: SlaState[] | null;
  @Field(() => [PriorityBand], { nullable: true })
  priorityBand?: PriorityBand[] | null;
  @Field(() => Int, { nullable: true, description: 'Only cases with at least this priority (0–100)' })
  minPriority?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only cases waiting on the applicant (clock paused); false: only those whose clock runs' })
  waitingOnApplicant?: boolean | null;
}
