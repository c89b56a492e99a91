// The id rules live with the error model, so the gateway and the db helpers share them.
export { isId, parseId, parseOptionalId } from '@cloudphone/errors';
