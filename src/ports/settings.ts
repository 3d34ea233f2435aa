/** Named settings shared by every instance. */
export interface Settings {
  /** A named setting shared by every instance (e.g. the sandbox's own RSA key pair). */
  getSetting(name: string): Promise<string | undefined>;
  /** Stores value under name unless one exists; returns the value that is stored now. */
  putSettingIfAbsent(name: string, value: string): Promise<string>;
}
