/** A member's name as the counter shows it beside money (as receipts print it): the first character, then *. */
export const maskedName = (name: string): string =>
  name.length <= 1 ? name : `${name.slice(0, 1)}${'*'.repeat(name.length - 1)}`;
