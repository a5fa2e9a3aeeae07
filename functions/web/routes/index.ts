import type { Route } from '../auth/guard.js';
import { adminRoutes } from './admin.js';
import { analyticsRoutes } from './analytics.js';
import { contractApiRoutes } from './api-contracts.js';
import { returnApiRoutes } from './api-returns.js';
import { claimsRoutes } from './claims.js';
import { commissionerRoutes } from './commissioner.js';
import { docsRoutes } from './docs.js';
import { downloadRoutes } from './downloads.js';
import { managerRoutes } from './manager.js';
import { notificationRoutes } from './notifications.js';
import { pageRoutes } from './pages.js';
import { planRoutes } from './plan.js';
import { partnerRoutes } from './partner.js';
import { providerRoutes } from './provider.js';
import { referenceRoutes } from './reference.js';
import { templateRoutes } from './templates.js';
import { uploadRoutes } from './uploads.js';
import { versionRoutes } from './versions.js';

/** Every route but /health, each with the access it needs. */
export const routes: readonly Route[] = [
  ...pageRoutes,
  ...templateRoutes,
  ...providerRoutes,
  ...versionRoutes,
  ...managerRoutes,
  ...planRoutes,
  ...commissionerRoutes,
  ...claimsRoutes,
  ...contractApiRoutes,
  ...returnApiRoutes,
  ...adminRoutes,
  ...docsRoutes(() => routes),
  ...downloadRoutes,
  ...referenceRoutes,
  ...analyticsRoutes,
  ...uploadRoutes,
  ...notificationRoutes,
  ...partnerRoutes,
];
