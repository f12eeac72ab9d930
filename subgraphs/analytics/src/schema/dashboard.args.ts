import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class ReportingWindowArgs {
  @Field({ description: 'Start of the window, inclusive' })
  from!: Date;
  @Field({ description: 'End of the window, exclusive; at most 366 days after from' })
  to!: Date;
}
