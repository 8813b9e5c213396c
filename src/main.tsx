import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { installBenchApi } from './ui/benchApi';
import { installRenderProbe } from './ui/renderProbe';
import { installTestApi } from './ui/testApi';

// Headless drivers open the page with ?testapi and get a page-owned engine
// through window.resumable; people get the playground.
const params = new URLSearchParams(location.search);
if (params.has('testapi')) {
  installTestApi();
  document.getElementById('root')!.textContent = 'Resumable test API ready.';
} else if (params.has('bench')) {
  // `npm run bench` drives window.resumableBench (src/ui/benchApi.ts).
  installBenchApi();
  document.getElementById('root')!.textContent = 'Resumable bench API ready.';
} else {
  installRenderProbe();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
