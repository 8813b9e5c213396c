/** Builds the app for headless drivers: assets first, then Vite's production build. */
import { build } from 'vite';
import { prepareAssets } from '../prepare-assets';

/** Prepares static assets and runs `vite build` into dist/. */
export async function buildApp(): Promise<void> {
  await prepareAssets();
  await build({ logLevel: 'warn' });
}
