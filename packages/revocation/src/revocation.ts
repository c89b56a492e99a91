import { z } from 'zod';

/**
 * A revocation of access tokens before they expire on their own:
 * - `credential`: every token of one login (its session family) or one API key;
 * - `user`: every token of a user issued before `issuedBefore` (logout
 *   everywhere, a role change: the next refresh gets a token with the new roles).
 * `expiresAt` is when every token it covers has expired anyway: nothing is
 * kept past it.
 */
export const revocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('credential'), credentialId: z.string().min(1), expiresAt: z.number().int() }),
  z.object({ kind: z.literal('user'), userId: z.string().min(1), issuedBefore: z.number().int(), expiresAt: z.number().int() }),
]);

export type Revocation = z.infer<typeof revocationSchema>;

export interface RevocationFollower {
  /** A revocation, live or replayed at (re)synchronisation; the same one may come twice. */
  revoked(revocation: Revocation): void;
  /** Whether the stream is whole: false from a lost connection until every revocation in force has been replayed. */
  synchronised(whole: boolean): void;
}

/**
 * Where revocations travel between the users service, which decides them,
 * and every gateway replica, which enforces them: Redis (keys with a TTL plus
 * pub/sub) across machines, a BroadcastChannel inside one process.
 */
export interface RevocationChannel {
  /** Resolves once the revocation is stored and announced; rejects if it could not be. */
  publish(revocation: Revocation): Promise<void>;
  /** Replays every revocation in force, then delivers new ones until closed. */
  follow(follower: RevocationFollower): Promise<void>;
  close(): Promise<void>;
}

export function parseRevocation(raw: string): Revocation | undefined {
  try {
    const parsed = revocationSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
