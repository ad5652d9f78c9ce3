export * from './printer/index';
export * from './swiper/index';
export * from './pcsc/index';
export { DeviceError } from './errors';
