/**
 * Joins a magstripe swiper driver to the hub. The driver has already refused bank cards and dropped their
 * tracks; only a member number or a refusal code arrives here.
 */
import type { Swiper } from '../../../hardware/index';
import type { DeviceHub } from '../hub';

export function joinSwiper(
  swiper: Swiper,
  hub: DeviceHub,
  options: { source: 'swiper' | 'simulator'; now?: () => number },
): () => void {
  const now = options.now ?? Date.now;
  const onSwipe = (event: { memberNumber: string }) =>
    hub.emit('swipe', { cardNumber: event.memberNumber, refused: null, source: options.source, at: now() });
  const onError = (event: { code: string }) =>
    hub.emit('swipe', { cardNumber: null, refused: event.code, source: options.source, at: now() });
  const onStatus = (event: { device: string; state: string }) =>
    hub.emit('device.status', {
      device: event.device,
      kind: 'swiper',
      state:
        options.source === 'simulator'
          ? 'simulated'
          : event.state === 'connected'
            ? 'connected'
            : 'disconnected',
    });
  swiper.on('swipe', onSwipe);
  swiper.on('swipe.error', onError);
  swiper.on('status', onStatus);
  return () => {
    swiper.off('swipe', onSwipe);
    swiper.off('swipe.error', onError);
    swiper.off('status', onStatus);
  };
}
