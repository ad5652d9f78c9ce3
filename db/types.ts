/**
 * The ledger's public shapes, one module per concern in shapes/. Money is integer fen (`number`, always a
 * safe integer); points are whole points; timestamps are UTC epoch milliseconds; ids are chosen by the
 * caller (ULID or UUIDv7).
 */
export * from './shapes/checks';
export * from './shapes/directory';
export * from './shapes/ledger';
export * from './shapes/operations';
export * from './shapes/reading';
export * from './shapes/side-stores';
export * from './shapes/vocabulary';
