import { Field, ID, InputType } from 'type-graphql';
import { QueueEntryStatus, SlaState } from './queue-entry.types.js';

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
}
