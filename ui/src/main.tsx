import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { UndoProvider } from './lib/undo';
import { EnrichProvider } from './enrich/useEnrich';
import './styles.css';

// CSP violations are recorded so the end-to-end tests can assert there are none.
const violations: string[] = [];
(window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

const queryClient = new QueryClient({
  defaultOptions: {
    // The database is local: no need to refetch on focus; writes invalidate what they touch.
    queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <UndoProvider>
        <EnrichProvider>
          <App />
        </EnrichProvider>
      </UndoProvider>
    </QueryClientProvider>
  </StrictMode>,
);
