/** Routes of the provider area of the app. */
import type { Route } from '../auth/guard.js';

export const providerRoutes: Route[] = [];
