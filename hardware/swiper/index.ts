export type { HidBackend, HidConnection, HidDeviceInfo, HidSelector } from './hid';
export { findSwipers, IDTECH_VENDOR_ID, MAGTEK_VENDOR_ID, matchesSelector, nodeHidBackend } from './hid';
export { encodeIdtechFrame, IdtechFrameAssembler } from './idtech';
export type { RawSwipe, SwipeErrorCode, SwipeOutcome } from './interpret';
export { interpretSwipe, interpretTrackText } from './interpret';
export type { KeyboardStyle } from './keyboard';
export { BootKeyboardDecoder, encodeKeyboardReports } from './keyboard';
export { decodeMagtekReport, encodeMagtekReport, MAGTEK_REPORT_LENGTH } from './magtek';
export type { MemberNumberRule } from './member-rule';
export { checkMemberRule, DEFAULT_MEMBER_RULE } from './member-rule';
export { isPaymentTrack, luhnValid } from './payment';
export type { SimulatedCard, SimulatedSwiperOptions } from './simulated';
export { SimulatedSwiper } from './simulated';
export type {
  KeyboardFraming,
  SwipeErrorEvent,
  SwipeEvent,
  SwiperLogger,
  SwiperMode,
  SwiperOptions,
  SwiperState,
  SwiperStatusEvent,
} from './swiper';
export { Swiper } from './swiper';
export type { Track, TrackNumber } from './tracks';
export { formatTrack, parseTrack, splitTracks } from './tracks';
