import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { watchIdleLock } from './store/app';
import './styles.css';

// The host locks an idle session; the screen follows within a few seconds, so no member stays on show.
watchIdleLock();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
