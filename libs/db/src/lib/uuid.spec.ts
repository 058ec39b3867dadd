import { isUuid } from './uuid';

describe('isUuid', () => {
  it.each(['9b2f6c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e', '9B2F6C1E-3D4A-4B5C-8D9E-0F1A2B3C4D5E', '00000000-0000-0000-0000-000000000000'])('%s is one', (value) => expect(isUuid(value)).toBe(true));

  it.each([
    ['36 hyphens (the shape a loose [0-9a-f-]{36} let through to PostgreSQL)', '-'.repeat(36)],
    ['hex without hyphens', '9b2f6c1e3d4a4b5c8d9e0f1a2b3c4d5e0000'],
    ['hyphens in the wrong places', '9b2f6c1e3-d4a-4b5c-8d9e-0f1a2b3c4d5e'],
    ['not hex', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
    ['a NUL', '9b2f6c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5\u0000'],
    ['a trailing newline', '9b2f6c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e\n'],
    ['empty', ''],
  ])('%s is not', (_label, value) => expect(isUuid(value)).toBe(false));
});
