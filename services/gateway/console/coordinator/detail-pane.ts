import { byId, h } from '../shared/dom.ts';
import type { DetailPane } from './context.ts';

/** Swaps the side panel between the overview (orders, activity) and one detail view. */
export function createDetailPane(onClose: () => void): DetailPane {
  const detail = byId('detail');
  const overview = byId('overview');
  let current: { kind: string; id: string } | null = null;

  const close = () => {
    current = null;
    detail.hidden = true;
    detail.replaceChildren();
    overview.hidden = false;
    onClose();
  };

  return {
    show(kind, id, content) {
      current = { kind, id };
      const back = h('button', { type: 'button', class: 'link back', onclick: close }, '← Back to orders');
      detail.replaceChildren(back, content);
      detail.hidden = false;
      overview.hidden = true;
      detail.scrollTop = 0;
    },
    close,
    get current() {
      return current;
    },
    el: detail,
  };
}
