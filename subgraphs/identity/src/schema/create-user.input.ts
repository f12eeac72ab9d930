import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A new user of your tenant' })
export class CreateUserInput {
  @Field({ description: 'Unique across all tenants; stored trimmed and lower-cased' })
  email!: string;
  @Field()
  name!: string;
  @Field({ description: 'admin, senior_analyst, analyst or readonly' })
  role!: string;
  @Field({ description: 'At least 12 characters' })
  password!: string;
}
