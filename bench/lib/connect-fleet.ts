import type { BenchInfra } from './bench-infra.ts';
import type { ServiceChild } from './children/start-service.ts';
import { FLEET_BOX, INSTITUTIONS } from './fleet-box.ts';
import { createNurseFleet, fleetNurses, type NurseFleet, type NurseFleetOptions } from './nurse-fleet.ts';
import { int } from './ticker.ts';

/** Opens `count` nurse sockets on the gateway and reports them available, with a progress line per thousand. */
export async function connectFleet(input: {
  infra: BenchInfra;
  gateway: ServiceChild;
  count: number;
  random: () => number;
  say: (line: string) => void;
  prefix?: string;
  onOtherText?: NurseFleetOptions['onOtherText'];
  onSent?: NurseFleetOptions['onSent'];
}): Promise<{ fleet: NurseFleet; connectMs: number }> {
  const { infra, gateway, count, say } = input;
  const fleet = createNurseFleet({
    host: '127.0.0.1',
    port: gateway.port,
    nurses: fleetNurses(count, FLEET_BOX, INSTITUTIONS, input.random, input.prefix),
    sign: infra.sign,
    box: FLEET_BOX,
    random: input.random,
    ...(input.onOtherText ? { onOtherText: input.onOtherText } : {}),
    ...(input.onSent ? { onSent: input.onSent } : {}),
  });
  const t0 = performance.now();
  let shown = 0;
  try {
    await fleet.connect((done) => {
      if (done - shown >= 1000 || done === count) say(`connected ${int((shown = done))} / ${int(count)} nurse sockets`);
    });
    await fleet.announce();
  } catch (err) {
    fleet.close();
    throw err;
  }
  const connectMs = performance.now() - t0;
  say(`${int(count)} nurses connected and available in ${(connectMs / 1000).toFixed(1)} s`);
  return { fleet, connectMs };
}
