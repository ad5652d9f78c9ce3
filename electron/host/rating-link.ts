/**
 * The link a charge receipt's QR carries to HQ's rating page: `<HQ url>/rate/<token>`, the token naming the visit
 * (operation, store, cashier, time) and signed with the key this till speaks to HQ with, so HQ knows it came
 * from this till and takes one rating per operation. A till on no chain (standalone), a revoked one and the
 * training book print no QR: there is no HQ to rate at, or no real visit to rate.
 */
import type { SettingsStore } from '../../db';
import { makeRatingToken } from '../../sync/index';
import { SECRET_NAMES, type SecretStore } from '../keystore/secrets';
import { readHqLink } from './enrolment/link';

export interface RatedVisit {
  operationId: string;
  staffId: string;
  staffName: string;
  /** When the charge was made (UTC ms). */
  at: number;
}

/** HQ's rating page for a visit, or undefined when this till has no HQ to send the customer to. */
export type RatingLink = (visit: RatedVisit) => string | undefined;

export function ratingLinks(settings: SettingsStore, secrets: SecretStore | undefined): RatingLink {
  return (visit) => {
    const link = readHqLink(settings);
    if (link === undefined || link.revokedAt !== undefined) return undefined;
    const key = secrets?.get(SECRET_NAMES.hqSigningKey)?.toString('utf8');
    if (key === undefined) return undefined;
    const token = makeRatingToken(
      {
        terminalId: link.terminalId,
        operationId: visit.operationId,
        storeId: link.storeId,
        staffId: visit.staffId,
        staffName: visit.staffName.slice(0, 64),
        at: visit.at,
      },
      key,
    );
    return `${link.url.replace(/\/+$/, '')}/rate/${token}`;
  };
}
