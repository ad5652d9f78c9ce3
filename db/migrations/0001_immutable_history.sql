-- History is append-only: transfers, operations and audit lines are never changed or removed.
-- A mistake is corrected by a reversing operation, never by editing the past.
CREATE TRIGGER `transfers_no_update` BEFORE UPDATE ON `transfers`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: transfers are never updated');
END;
--> statement-breakpoint
CREATE TRIGGER `transfers_no_delete` BEFORE DELETE ON `transfers`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: transfers are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `operations_no_update` BEFORE UPDATE ON `operations`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: operations are never updated');
END;
--> statement-breakpoint
CREATE TRIGGER `operations_no_delete` BEFORE DELETE ON `operations`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: operations are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_no_update` BEFORE UPDATE ON `audit`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: audit lines are never updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_no_delete` BEFORE DELETE ON `audit`
BEGIN
  SELECT RAISE(ABORT, 'LEDGER_IMMUTABLE: audit lines are never deleted');
END;
