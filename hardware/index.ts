export * from './printer/index';
export * from './swiper/index';
