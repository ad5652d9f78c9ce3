/** Shows a phone number the way PIPL asks us to show personal data: 13812345678 → 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  // A mainland mobile written with its country code (+86 138…) is masked as the 11-digit number.
  const all = phone.replace(/\D/g, '');
  const digits = all.length === 13 && all.startsWith('86') ? all.slice(2) : all;
  if (digits.length === 0) return null;
  if (digits.length < 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
