import { DateScalar } from '@tandem/platform';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}
registerEnumType(Weekday, { name: 'Weekday' });

/** Weekday ↔ ISO weekday number (domain/business-calendar.ts). */
export const WEEKDAYS: Weekday[] = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY, Weekday.SUNDAY];

@ObjectType({ description: 'Local opening hours: from start (inclusive) to end (exclusive, 24:00 for midnight)' })
export class WorkingHours {
  @Field({ description: 'HH:MM' })
  start!: string;
  @Field({ description: 'HH:MM' })
  end!: string;
}

@InputType()
export class WorkingHoursInput {
  @Field({ description: 'HH:MM' })
  start!: string;
  @Field({ description: 'HH:MM, after start; 24:00 for midnight' })
  end!: string;
}

@ObjectType({ description: "Your tenant's review SLA and the business calendar its clock runs in" })
export class SlaPolicy {
  @Field(() => Int, { description: 'Working seconds from queueing to the review deadline' })
  reviewSlaSeconds!: number;
  @Field(() => Int, { description: 'Working seconds before the deadline when the case is APPROACHING (a WARNING is sent)' })
  warningSecondsBefore!: number;
  @Field(() => Int, { description: 'Working seconds after the deadline when a still-open case is ESCALATED to senior analysts' })
  escalateSecondsAfter!: number;
  @Field({ description: 'IANA time zone of the working hours and holidays' })
  timeZone!: string;
  @Field(() => [Weekday])
  workingDays!: Weekday[];
  @Field(() => WorkingHours)
  workingHours!: WorkingHours;
  @Field(() => [DateScalar], { description: 'Local dates without working time' })
  holidays!: Date[];
  @Field(() => Date, { nullable: true, description: 'Null while the default policy (4 hours, around the clock) applies' })
  updatedAt!: Date | null;
}

@InputType({ description: 'A review SLA and business calendar; the calendar fields default to around the clock in UTC' })
export class SlaPolicyInput {
  @Field(() => Int)
  reviewSlaSeconds!: number;
  @Field(() => Int)
  warningSecondsBefore!: number;
  @Field(() => Int)
  escalateSecondsAfter!: number;
  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. Europe/Berlin; default UTC' })
  timeZone?: string | null;
  @Field(() => [Weekday], { nullable: true, description: 'Default: every day' })
  workingDays?: Weekday[] | null;
  @Field(() => WorkingHoursInput, { nullable: true, description: 'Default: 00:00–24:00' })
  workingHours?: WorkingHoursInput | null;
  @Field(() => [DateScalar], { nullable: true, description: 'Default: none' })
  holidays?: Date[] | null;
}
