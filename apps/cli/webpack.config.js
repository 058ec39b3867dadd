module.exports = require('../../tools/app-webpack-config')(__dirname, 'cli');
