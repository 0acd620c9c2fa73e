/** The core types every part of Deskmate speaks. */
export * from './adapter';
export * from './chat-platform';
export * from './conversation';
export * from './errors';
export * from './history-message';
export * from './inbound-message';
export * from './job-queue';
export * from './llm-provider';
export * from './logger';
export * from './reminder';
export * from './reply';
export * from './skill';
export * from './state-store';
