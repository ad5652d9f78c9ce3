export { DeviceError } from './errors';
export * from './pcsc/index';
export * from './printer/index';
export * from './swiper/index';
