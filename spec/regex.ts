/** Whether a regular expression a user wrote compiles, so that a bad one is an error at its field, not a throw. */
export function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
