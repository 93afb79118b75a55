import type { Order } from '@nursing/contracts';
import type { ServiceMetrics } from '@nursing/service-kit';

/**
 * Dispatch's figures at /metrics, read off the order events it announces (each is
 * announced once, by the instance that made the change): offers by outcome, grabs won,
 * and the time from creation to a nurse taking the order.
 */
export function orderEventMetrics(metrics: ServiceMetrics, now: () => number) {
  const offers = metrics.counter('offers');
  const grabs = metrics.counter('grabs');
  const timeToAccept = metrics.histogram('timeToAccept');
  const created = metrics.counter('ordersCreated');

  return (order: Order, event: string): void => {
    switch (event) {
      case 'created':
        created.inc({ mode: order.mode });
        break;
      case 'offered':
        offers.inc({ outcome: 'sent' });
        break;
      case 'declined':
        offers.inc({ outcome: 'declined' });
        break;
      case 'offer.expired':
        offers.inc({ outcome: 'expired' });
        break;
      case 'accepted':
      case 'grabbed':
      case 'assigned': {
        if (event === 'accepted') offers.inc({ outcome: 'accepted' });
        if (event === 'grabbed') grabs.inc({ outcome: 'won' });
        const since = Date.parse(order.createdAt);
        if (Number.isFinite(since)) timeToAccept.observe({ mode: order.mode }, Math.max(0, now() - since) / 1000);
        break;
      }
    }
  };
}
