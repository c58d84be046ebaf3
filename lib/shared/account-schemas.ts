/** Request bodies of the account endpoints (login, users, tokens, setup). */
import { z } from 'zod';
import { SLUG_PATTERN } from './rooms';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const TOKEN_SCOPES = ['publish', 'read'] as const;

export const loginRequestSchema = z.strictObject({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const password = z.string().min(8, 'Password must be at least 8 characters.').max(1024);

export const createUserRequestSchema = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  password,
});

export const setupRequestSchema = createUserRequestSchema.omit({ role: true });

export const updateUserRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    password: password.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });

export const createTokenRequestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'Name: 1-64 of A-Z a-z 0-9 . _ -'),
  projects: z
    .array(z.string().refine((p) => p === '*' || SLUG_PATTERN.test(p), 'A project slug or "*".'))
    .min(1)
    .max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(2),
});
