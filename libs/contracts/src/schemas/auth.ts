import Type from 'typebox';
import { Id } from './common.ts';

export const ROLES = ['nurse', 'coordinator', 'security', 'admin'] as const;
export const Role = Type.Enum(ROLES);
export type Role = (typeof ROLES)[number];

/** What a bearer token asserts. `institution` is required for nurses and coordinators. */
export const TokenClaims = Type.Object({
  sub: Id,
  role: Role,
  institution: Type.Optional(Id),
});
export type TokenClaims = Type.Static<typeof TokenClaims>;
