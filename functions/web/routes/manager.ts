/** Routes of the manager area of the app. */
import type { Route } from '../auth/guard.js';

export const managerRoutes: Route[] = [];
