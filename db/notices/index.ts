export {
  type BackoffPolicy,
  backoffDelay,
  CRM_EVENT_TYPES,
  DEFAULT_BACKOFF,
  DEFAULT_OPT_IN,
  type Notice,
  type NoticeOptIn,
  type NoticeStore,
  type NoticeTopic,
  openNotices,
  withoutPersonalDetails,
} from './store';
export {
  openWinBack,
  type WinBack,
  type WinBackCampaign,
  WinBackError,
  type WinBackInput,
  type WinBackResult,
} from './win-back';
