import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Device', { description: 'A rented Android phone in the cloud.' })
@Directive('@key(fields: "id")')
export class Device {
  @Field(() => ID, { description: 'Unique device id.' })
  id: string;
}
