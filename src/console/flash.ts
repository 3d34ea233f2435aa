/**
 * Messages shown once after an action, chosen by a code in the redirect URL (`?done=rule-saved`):
 * a link cannot make the console show text of its own.
 */
export const FLASH_MESSAGES = {
  'rule-created': 'Rule created.',
  'rule-saved': 'Rule saved.',
  'rule-duplicated': 'Rule duplicated: the copy is disabled until you enable it.',
  'rule-enabled': 'Rule enabled.',
  'rule-disabled': 'Rule disabled.',
  'rule-deleted': 'Rule deleted.',
  'rule-moved': 'Order changed.',
  'rule-reset': 'Hit count reset.',
  'rules-imported': 'Rule file imported.',
  'default-on': 'Default rule switched on for this merchant.',
  'default-off': 'Default rule switched off for this merchant.',
  'rsa-saved': 'RSA public key saved.',
  'rsa-removed': 'RSA public key removed.',
  'login-saved': 'Console login saved.',
  'password-changed': 'Password changed. Other sessions of this login were signed out.',
  'clock-changed': 'Sandbox clock changed.',
  'trade-resolved': 'Trade state changed.',
  'signed-out': 'You are signed out.',
} as const;

/** A flash message code. */
export type FlashCode = keyof typeof FLASH_MESSAGES;

/** The message of a `done` query value, if it is one. */
export function flashMessage(code: unknown): string | undefined {
  return typeof code === 'string' && code in FLASH_MESSAGES ? FLASH_MESSAGES[code as FlashCode] : undefined;
}
