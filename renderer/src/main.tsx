import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CustomerScreen, isCustomerWindow } from './customer/CustomerScreen';
import { watchIdleLock } from './store/app';
import './styles.css';

// The second screen facing the customer has no login and no counter: only what the customer is shown.
const customer = isCustomerWindow(window.location);
// The host locks an idle session; the screen follows within a few seconds, so no member stays on show.
if (!customer) watchIdleLock();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(<StrictMode>{customer ? <CustomerScreen /> : <App />}</StrictMode>);
