/**
 * A network printer typed as `ip:port` in the address field: the port is taken from it (an IPv6 address, with
 * more than one colon, is left whole).
 */
export function splitHostPort(address: string, port: string): { host: string; port: number } {
  const match = /^([^:]+):([0-9]{1,5})$/.exec(address.trim());
  if (match !== null) return { host: match[1]!, port: Number(match[2]) };
  return { host: address.trim(), port: Number(port) || 9100 };
}
