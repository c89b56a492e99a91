/** The sagas billing orchestrates, by the kind stored with each (a stored kind is never renamed). */
export const PURCHASE_PLAN = 'PURCHASE_PLAN';
