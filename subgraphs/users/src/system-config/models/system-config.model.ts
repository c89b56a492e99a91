import { DICTIONARY_ENTRY_RULES } from '@cloudphone/system-config';
import { Directive, Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { JSONScalar } from './json.scalar.js';

const rules = DICTIONARY_ENTRY_RULES;

@ObjectType({ description: 'A platform setting every service reads: a JSON value under a key, of the shape the key declares.' })
export class Setting {
  @Field({ description: 'The key, e.g. "devices.defaultAndroidVersion".' })
  key: string;

  @Field(() => JSONScalar, { description: 'The value.' })
  value: unknown;

  @Field({ description: 'What the setting decides.' })
  description: string;

  @Field(() => Int, { description: 'Increases on every change.' })
  version: number;

  @Field({ description: 'When the value last changed.' })
  updatedAt: Date;
}

@ObjectType({ description: 'The label of one code in a dictionary (e.g. DEVICE_STATUS RUNNING is "Running").' })
export class DictionaryEntry {
  @Field({ description: 'The dictionary, e.g. DEVICE_STATUS or ORDER_STATUS.' })
  type: string;

  @Field({ description: 'The code labelled, e.g. RUNNING.' })
  code: string;

  @Field({ description: 'What clients show for the code.' })
  label: string;

  @Field(() => Int, { description: 'Position in the dictionary (ascending).' })
  sortOrder: number;

  @Field(() => Int, { description: "The dictionary's version when the entry last changed." })
  version: number;

  @Field({ description: 'When the entry last changed.' })
  updatedAt: Date;
}

@InputType({ description: 'A new or changed dictionary entry.' })
export class SetDictionaryEntryInput {
  @Field({ description: 'The dictionary, e.g. DEVICE_STATUS; one of the declared dictionaries.' })
  @Length(1, 64)
  type: string;

  @Field({ description: 'The code, 1 to 64 of A-Z, 0-9 and _ starting with a letter.' })
  @Matches(rules.code.pattern, { message: rules.code.message })
  code: string;

  @Field({ description: 'The label, 1 to 200 characters.' })
  @Length(rules.label.min, rules.label.max, { message: rules.label.message })
  label: string;

  @Field(() => Int, { nullable: true, description: 'Position (ascending); omitted: an entry keeps its own, a new one goes last.' })
  @IsOptional()
  @IsInt()
  @Min(rules.sortOrder.min)
  @Max(rules.sortOrder.max)
  sortOrder?: number | null;
}

@ObjectType({ description: 'One setting or dictionary at a version, as caches hold it (service to service).' })
@Directive('@inaccessible')
export class SystemConfigItem {
  @Field({ description: 'Either setting or dictionary.' })
  kind: string;

  @Field({ description: 'The setting key or dictionary type.' })
  name: string;

  @Field(() => Int, { description: 'Its version; 0 when it does not exist.' })
  version: number;

  @Field(() => JSONScalar, { nullable: true, description: "The setting's value, or the dictionary's entries (code, label, sortOrder)." })
  data: unknown;
}
