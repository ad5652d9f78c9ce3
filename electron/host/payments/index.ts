export { type PayCodeCollector, payCodeCollector } from './collect';
export {
  type CollectRequest,
  httpPaymentProvider,
  type PaymentProvider,
  simulatedPaymentProvider,
  unconfiguredPaymentProvider,
} from './provider';
