import { CERTIFICATIONS, type CertificationCode, type Nurse, type NursePosition, type Presence } from '@nursing/contracts';
import { NearestIndex, type LatLng, type NearestHit } from '@nursing/geo';
import { certificationExpiryMs, isProfileQualified, type EligibilityContext } from './eligibility.ts';

/** What dispatch knows about one nurse: profile, availability and latest position. */
export interface NurseEntry {
  nurse?: Nurse;
  presence?: Presence;
  position?: NursePosition;
}

/**
 * A nurse who passes every rule that does not depend on the order's item or time:
 * profile qualified, available, positioned. Flat numbers only, so the in-search check
 * reads one small object instead of chasing entry -> profile -> certificates.
 * Certificate expiries (epoch ms; -Infinity when not held) are one field per code.
 */
type ReadyNurse = { readonly entry: NurseEntry; positionAtMs: number } & Record<CertificationCode, number>;

/** One monomorphic property read per certification code, picked once per query. */
const EXPIRY_OF: Record<CertificationCode, (r: ReadyNurse) => number> = {
  picc: (r) => r.picc,
  peritoneal_dialysis: (r) => r.peritoneal_dialysis,
  complex_stoma: (r) => r.complex_stoma,
};

export interface MatchIndexOptions {
  /** H3 resolution of the buckets of the ready indexes (see bench/matching). */
  readyResolution?: number;
}

/** Res 8 (~0.46 km edges) keeps a city-density search close to the circle it needs. */
export const READY_INDEX_RESOLUTION = 8;

/**
 * The in-memory state dispatch matches on, with no I/O: every nurse's entry, an H3
 * index of all positioned nurses (to explain who is not eligible and why), and per
 * institution an index of the nurses who are ready now. Nurses of other institutions,
 * unqualified profiles and unavailable nurses are never even looked at when matching,
 * which is most of the work on a busy city; the checks left in the search are position
 * freshness and the item's certification at the visit's end.
 */
export class MatchIndex {
  private readonly entries = new Map<string, NurseEntry>();
  private readonly byInstitution = new Map<string, Set<string>>();
  private readonly positioned = new NearestIndex<NurseEntry>();
  private readonly ready = new Map<string, NearestIndex<ReadyNurse>>();
  /** Which ready index holds a nurse (her institution at the time she was added). */
  private readonly readyIn = new Map<string, { institutionId: string; ready: ReadyNurse }>();
  private readonly readyResolution: number;

  constructor(options: MatchIndexOptions = {}) {
    this.readyResolution = options.readyResolution ?? READY_INDEX_RESOLUTION;
  }

  get size(): number {
    return this.entries.size;
  }

  get(nurseId: string): NurseEntry | undefined {
    return this.entries.get(nurseId);
  }

  applyNurse(nurse: Nurse): void {
    const entry = this.entryOf(nurse.id);
    const previous = entry.nurse?.institutionId;
    if (previous !== undefined && previous !== nurse.institutionId) this.byInstitution.get(previous)?.delete(nurse.id);
    let members = this.byInstitution.get(nurse.institutionId);
    if (!members) this.byInstitution.set(nurse.institutionId, (members = new Set()));
    members.add(nurse.id);
    entry.nurse = nurse;
    this.refresh(nurse.id, entry, true);
  }

  /** Ignores a report older than the one held (messages may arrive out of order). */
  applyPresence(presence: Presence): void {
    const entry = this.entryOf(presence.nurseId);
    if (entry.presence && entry.presence.atMs > presence.atMs) return;
    entry.presence = presence;
    this.refresh(presence.nurseId, entry, false);
  }

  applyPosition(position: NursePosition): void {
    const entry = this.entryOf(position.nurseId);
    if (entry.position && entry.position.atMs > position.atMs) return;
    entry.position = position;
    this.positioned.upsert(position.nurseId, position, entry);
    this.refresh(position.nurseId, entry, false, true);
  }

  /**
   * The nearest nurses who may be offered an order, nearest first, exact: the same
   * answer as filtering every nurse with isEligible (a property test holds them equal).
   */
  nearestEligible(center: LatLng, ctx: EligibilityContext, options: { limit?: number; exclude?: ReadonlySet<string> } = {}): NearestHit<NurseEntry>[] {
    const index = this.ready.get(ctx.order.institutionId);
    if (!index) return [];
    const { exclude } = options;
    const required = ctx.item.requiredCertification;
    const expiryOf = required ? EXPIRY_OF[required] : undefined;
    const oldestFixMs = ctx.nowMs - ctx.maxPositionAgeMs;
    const validUntilMs = Math.max(ctx.nowMs, ctx.visitEndMs ?? Date.parse(ctx.order.window.endAt));
    const hits = index.nearest(center, {
      radiusMeters: ctx.radiusMeters,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      filter: (id, r) =>
        r.positionAtMs >= oldestFixMs && (expiryOf === undefined || expiryOf(r) >= validUntilMs) && !exclude?.has(id),
    });
    return hits.map((h) => ({ id: h.id, payload: h.payload.entry, distanceMeters: h.distanceMeters }));
  }

  /** Nearest positioned nurses of any kind, filtered during the search. */
  nearest(center: LatLng, radiusMeters: number, limit: number | undefined, filter?: (id: string, entry: NurseEntry, distanceMeters: number) => boolean): NearestHit<NurseEntry>[] {
    return this.positioned.nearest(center, { radiusMeters, ...(limit === undefined ? {} : { limit }), ...(filter ? { filter } : {}) });
  }

  /** Every known nurse of an institution (positioned or not). */
  ofInstitution(institutionId: string): [string, NurseEntry][] {
    const ids = this.byInstitution.get(institutionId);
    return ids ? [...ids].map((id) => [id, this.entries.get(id)!] as [string, NurseEntry]) : [];
  }

  private entryOf(nurseId: string): NurseEntry {
    let entry = this.entries.get(nurseId);
    if (!entry) this.entries.set(nurseId, (entry = {}));
    return entry;
  }

  /** Puts a nurse into, moves her within, or takes her out of her institution's ready index. */
  private refresh(nurseId: string, entry: NurseEntry, profileChanged: boolean, moved = false): void {
    const { nurse, presence, position } = entry;
    const isReady = nurse !== undefined && position !== undefined && presence?.status === 'available' && isProfileQualified(nurse);
    const held = this.readyIn.get(nurseId);
    if (held && (!isReady || held.institutionId !== nurse!.institutionId)) {
      this.ready.get(held.institutionId)?.remove(nurseId);
      this.readyIn.delete(nurseId);
    }
    if (!isReady) return;
    const current = this.readyIn.get(nurseId);
    if (current && !profileChanged) {
      current.ready.positionAtMs = position.atMs;
      if (moved) this.ready.get(current.institutionId)!.upsert(nurseId, position, current.ready);
      return;
    }
    const ready: ReadyNurse = { entry, positionAtMs: position.atMs, ...certificationExpiries(nurse) };
    let index = this.ready.get(nurse.institutionId);
    if (!index) this.ready.set(nurse.institutionId, (index = new NearestIndex<ReadyNurse>({ resolution: this.readyResolution })));
    index.upsert(nurseId, position, ready);
    this.readyIn.set(nurseId, { institutionId: nurse.institutionId, ready });
  }
}

function certificationExpiries(nurse: Nurse): Record<CertificationCode, number> {
  const expiries = Object.fromEntries(CERTIFICATIONS.map((code) => [code, -Infinity])) as Record<CertificationCode, number>;
  // Like the rules in eligibility.ts, the first certificate listed for a code is the one that counts.
  for (let i = nurse.certifications.length - 1; i >= 0; i--) {
    const cert = nurse.certifications[i]!;
    expiries[cert.code] = certificationExpiryMs(cert);
  }
  return expiries;
}
