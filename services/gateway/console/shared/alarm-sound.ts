/**
 * The alarm tone: two alternating tones, repeated until stopped, made with Web Audio
 * (no audio file to load). Browsers keep audio suspended until the user has clicked
 * something on the page; the sign-in click normally unlocks it, and `needsGesture`
 * tells the page to ask for a click when it did not.
 */
export interface AlarmSound {
  start(): void;
  stop(): void;
  /** True while the tone is actually audible (wanted and the audio context running). */
  readonly playing: boolean;
  /** True when the tone is wanted but the browser still blocks audio. */
  readonly needsGesture: boolean;
}

const BEEP_S = 0.35;
const PERIOD_S = 0.9;

export function createAlarmSound(onChange: () => void = () => undefined): AlarmSound {
  let ctx: AudioContext | undefined;
  let wanted = false;
  let timer: number | undefined;

  const context = (): AudioContext | undefined => {
    if (!ctx && typeof AudioContext !== 'undefined') {
      ctx = new AudioContext();
      ctx.addEventListener('statechange', onChange);
    }
    return ctx;
  };
  const unlock = () => {
    const c = context();
    if (c && c.state === 'suspended') void c.resume().then(onChange);
  };
  document.addEventListener('pointerdown', unlock);
  document.addEventListener('keydown', unlock);

  function beep(): void {
    const c = context();
    if (!c || c.state !== 'running') return;
    const t = c.currentTime;
    for (const [offset, freq] of [
      [0, 880],
      [BEEP_S / 2, 660],
    ] as const) {
      const osc = c.createOscillator();
      osc.type = 'square';
      osc.frequency.value = freq;
      const g = c.createGain();
      g.gain.setValueAtTime(0.08, t + offset);
      g.gain.setValueAtTime(0, t + offset + BEEP_S / 2);
      osc.connect(g).connect(c.destination);
      osc.start(t + offset);
      osc.stop(t + offset + BEEP_S / 2);
    }
  }

  return {
    start() {
      if (wanted) return;
      wanted = true;
      unlock();
      beep();
      timer = window.setInterval(beep, PERIOD_S * 1000);
      onChange();
    },
    stop() {
      if (!wanted) return;
      wanted = false;
      window.clearInterval(timer);
      timer = undefined;
      onChange();
    },
    get playing() {
      return wanted && ctx?.state === 'running';
    },
    get needsGesture() {
      return wanted && ctx?.state !== 'running';
    },
  };
}
