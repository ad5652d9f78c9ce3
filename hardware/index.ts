export * from './swiper/index';
