import type { Route } from '../auth/guard.js';
import { contractApiRoutes } from './api-contracts.js';
import { returnApiRoutes } from './api-returns.js';
import { commissionerRoutes } from './commissioner.js';
import { managerRoutes } from './manager.js';
import { pageRoutes } from './pages.js';
import { providerRoutes } from './provider.js';
import { templateRoutes } from './templates.js';

/** Every route but /health, each with the access it needs. */
export const routes: readonly Route[] = [
  ...pageRoutes,
  ...templateRoutes,
  ...providerRoutes,
  ...managerRoutes,
  ...commissionerRoutes,
  ...contractApiRoutes,
  ...returnApiRoutes,
];
