import type { LatLng, OrderCreate } from '@nursing/contracts';

/** A valid order for an item with no certificate, a window an hour from now. */
export function orderBody(mode: 'push' | 'grab', location: LatLng): OrderCreate {
  const start = Date.now() + 3_600_000;
  const now = new Date().toISOString();
  return {
    patient: { id: 'lt-patient', name: 'Load Test', phone: '13800000000', address: '1 Load Test Road', location },
    itemCode: 'vital_signs_monitoring',
    mode,
    assessment: { doctorName: 'Dr Load', assessedAt: now },
    consent: { recordId: 'lt-consent', signedAt: now, signedBy: 'Load Test' },
    window: { startAt: new Date(start).toISOString(), endAt: new Date(start + 7_200_000).toISOString() },
  };
}
