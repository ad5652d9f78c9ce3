import { describe, expect, it } from 'vitest';
import { splitHostPort } from '../../../renderer/src/screens/printer-address';

describe('the network printer address', () => {
  it('takes the port from an ip:port typed in the address field', () => {
    expect(splitHostPort('192.168.1.50:9100', '')).toEqual({ host: '192.168.1.50', port: 9100 });
    expect(splitHostPort(' printer.local:9101 ', '9100')).toEqual({ host: 'printer.local', port: 9101 });
  });

  it('keeps the port field otherwise, 9100 when it is empty, and an IPv6 address whole', () => {
    expect(splitHostPort('192.168.1.50', '9200')).toEqual({ host: '192.168.1.50', port: 9200 });
    expect(splitHostPort('192.168.1.50', '')).toEqual({ host: '192.168.1.50', port: 9100 });
    expect(splitHostPort('fe80::1', '9100')).toEqual({ host: 'fe80::1', port: 9100 });
  });
});
