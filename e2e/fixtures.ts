/** Shared e2e set-up: one real server per spec file, users, and a login helper. */
import { expect, type Page } from '@playwright/test';
import { login } from '../tests/helpers/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../tests/helpers/server-process';

export const OPERATOR = {
  email: 'olga@opsroom.test',
  name: 'Olga Operator',
  password: 'operator-password-1',
};

export async function createUser(
  url: string,
  user: { email: string; name: string; password: string; role?: string },
): Promise<void> {
  const cookie = await login(url);
  const response = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: JSON.stringify({ role: 'operator', ...user }),
  });
  if (response.status !== 201)
    throw new Error(`create user failed: ${response.status} ${await response.text()}`);
}

export async function signIn(
  page: Page,
  url: string,
  path = '/',
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
): Promise<void> {
  await page.goto(`${url}/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}${path}`);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}
