import type {} from 'vitest';
// What the vitest globalSetup provides to every test file via inject().
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}
export {};
