import { useEffect } from 'react';
import { on, onConnection } from './api/client';
import { StatusBar } from './components/StatusBar';
import { CounterScreen } from './screens/CounterScreen';
import { LoginScreen } from './screens/LoginScreen';
import { useApp } from './store/app';
import { useCounter } from './store/counter';

export function App() {
  const session = useApp((state) => state.session);
  const restoring = useApp((state) => state.restoring);

  useEffect(() => {
    const stops = [
      onConnection((state) => useApp.getState().setConnection(state)),
      on('card.presented', ({ uid }) => void useCounter.getState().lookup({ uid })),
      on('swipe', ({ cardNumber }) => void useCounter.getState().lookup({ cardNumber })),
    ];
    void useApp.getState().restore();
    document.documentElement.lang = useApp.getState().locale;
    return () => {
      for (const stop of stops) stop();
    };
  }, []);

  useEffect(() => {
    if (session === null) useCounter.getState().reset();
  }, [session]);

  return (
    <div className="app">
      <StatusBar />
      {restoring ? null : session === null ? <LoginScreen /> : <CounterScreen />}
    </div>
  );
}
