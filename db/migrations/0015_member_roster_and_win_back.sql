CREATE TABLE `member_roster` (
	`member_id` text PRIMARY KEY NOT NULL,
	`tier_id` text,
	`balance_fen` integer DEFAULT 0 NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`first_visit_at` integer DEFAULT 0 NOT NULL,
	`last_visit_at` integer DEFAULT 0 NOT NULL,
	`marketing` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_roster_recent` ON `member_roster` (`last_visit_at`,`member_id`);--> statement-breakpoint
CREATE INDEX `member_roster_tier_recent` ON `member_roster` (`tier_id`,`last_visit_at`,`member_id`);--> statement-breakpoint
CREATE INDEX `member_roster_balance` ON `member_roster` (`balance_fen`,`member_id`);--> statement-breakpoint
CREATE INDEX `member_roster_tier_balance` ON `member_roster` (`tier_id`,`balance_fen`,`member_id`);--> statement-breakpoint
CREATE TABLE `win_back_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`message` text NOT NULL,
	`skipped_no_consent` integer NOT NULL,
	`skipped_deleted` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `win_back_recipients` (
	`campaign_id` text NOT NULL,
	`member_id` text NOT NULL,
	`notice_id` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `member_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `win_back_campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `notices_source`;--> statement-breakpoint
CREATE UNIQUE INDEX `notices_campaign` ON `notices` (`source_operation_id`,`member_id`) WHERE "notices"."source_seq" = 0;--> statement-breakpoint
CREATE UNIQUE INDEX `notices_source` ON `notices` (`topic`,`source_seq`) WHERE "notices"."source_seq" > 0;--> statement-breakpoint
-- The member list's facts follow the book in the same transaction as each change (see member_roster in
-- db/members/schema.ts): a member's profile, tier, deletion, marketing consent, card balances and charges.
CREATE TRIGGER `member_roster_added` AFTER INSERT ON `member_profiles` WHEN NEW.deleted_at IS NULL
BEGIN
  INSERT OR IGNORE INTO member_roster (member_id, tier_id, balance_fen, visits, first_visit_at, last_visit_at, marketing, created_at)
  SELECT NEW.member_id, NEW.tier_id,
    COALESCE((SELECT SUM(b.credits - b.debits) FROM cards c JOIN accounts a ON a.card_id = c.id
              JOIN balances b ON b.account_id = a.id
              WHERE c.member_id = NEW.member_id AND a.kind IN ('card_principal', 'card_bonus')), 0),
    COUNT(o.seq), COALESCE(MIN(o.created_at), 0), COALESCE(MAX(o.created_at), 0),
    COALESCE((SELECT granted FROM member_consents WHERE member_id = NEW.member_id AND kind = 'marketing'
              ORDER BY id DESC LIMIT 1), 0),
    NEW.created_at
  FROM cards c LEFT JOIN operations o ON o.card_id = c.id AND o.kind = 'spend'
  WHERE c.member_id = NEW.member_id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_roster_tier` AFTER UPDATE OF `tier_id` ON `member_profiles`
BEGIN
  UPDATE member_roster SET tier_id = NEW.tier_id WHERE member_id = NEW.member_id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_roster_deleted` AFTER UPDATE OF `deleted_at` ON `member_profiles` WHEN NEW.deleted_at IS NOT NULL
BEGIN
  DELETE FROM member_roster WHERE member_id = NEW.member_id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_roster_marketing` AFTER INSERT ON `member_consents` WHEN NEW.kind = 'marketing'
BEGIN
  UPDATE member_roster SET marketing = NEW.granted WHERE member_id = NEW.member_id;
END;
--> statement-breakpoint
CREATE TRIGGER `member_roster_balance` AFTER UPDATE OF `debits`, `credits` ON `balances`
WHEN NEW.credits - NEW.debits <> OLD.credits - OLD.debits
BEGIN
  UPDATE member_roster
  SET balance_fen = balance_fen + (NEW.credits - NEW.debits) - (OLD.credits - OLD.debits)
  WHERE member_id = (SELECT c.member_id FROM accounts a JOIN cards c ON c.id = a.card_id
                     WHERE a.id = NEW.account_id AND a.kind IN ('card_principal', 'card_bonus'));
END;
--> statement-breakpoint
CREATE TRIGGER `member_roster_visit` AFTER INSERT ON `operations` WHEN NEW.kind = 'spend' AND NEW.card_id IS NOT NULL
BEGIN
  UPDATE member_roster
  SET visits = visits + 1,
      first_visit_at = CASE WHEN first_visit_at = 0 OR NEW.created_at < first_visit_at THEN NEW.created_at ELSE first_visit_at END,
      last_visit_at = MAX(last_visit_at, NEW.created_at)
  WHERE member_id = (SELECT member_id FROM cards WHERE id = NEW.card_id);
END;
--> statement-breakpoint
-- Members already in the book.
INSERT INTO member_roster (member_id, tier_id, balance_fen, visits, first_visit_at, last_visit_at, marketing, created_at)
SELECT p.member_id, p.tier_id,
  COALESCE((SELECT SUM(b.credits - b.debits) FROM cards c JOIN accounts a ON a.card_id = c.id
            JOIN balances b ON b.account_id = a.id
            WHERE c.member_id = p.member_id AND a.kind IN ('card_principal', 'card_bonus')), 0),
  (SELECT COUNT(*) FROM cards c JOIN operations o ON o.card_id = c.id WHERE c.member_id = p.member_id AND o.kind = 'spend'),
  COALESCE((SELECT MIN(o.created_at) FROM cards c JOIN operations o ON o.card_id = c.id
            WHERE c.member_id = p.member_id AND o.kind = 'spend'), 0),
  COALESCE((SELECT MAX(o.created_at) FROM cards c JOIN operations o ON o.card_id = c.id
            WHERE c.member_id = p.member_id AND o.kind = 'spend'), 0),
  COALESCE((SELECT granted FROM member_consents WHERE member_id = p.member_id AND kind = 'marketing'
            ORDER BY id DESC LIMIT 1), 0),
  p.created_at
FROM member_profiles p WHERE p.deleted_at IS NULL;
