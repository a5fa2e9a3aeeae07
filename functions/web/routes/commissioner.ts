/** Routes of the commissioner area of the app. */
import type { Route } from '../auth/guard.js';

export const commissionerRoutes: Route[] = [];
